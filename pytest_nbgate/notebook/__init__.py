"""Reading a notebook: the model, bounded reading, schema, positions, IPython source, markers."""

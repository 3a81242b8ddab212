"""External linters run over a notebook's code cells, their messages mapped to cells."""

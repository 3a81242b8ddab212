"""Real notebooks for the snapshot tests: every classic source of flaky output in one place."""

from __future__ import annotations

from typing import Any

from tests import factory

VOLATILE_CELLS: tuple[tuple[str, str], ...] = (
    (
        "clock",
        "import datetime, time\nprint(datetime.datetime.now())\nprint(time.ctime())\n"
        "print(datetime.datetime.now(datetime.timezone.utc).isoformat())",
    ),
    ("reprs", "class Thing:\n    pass\n\nprint(object())\nThing()"),
    (
        "floats",
        "import random\nimport numpy as np\nrandom.seed(7)\nnp.random.seed(7)\n"
        "print([random.random() for _ in range(3)])\nnp.random.rand(4)",
    ),
    ("noise", "0.1 + 0.2"),
    (
        "frame",
        "import pandas as pd\nframe = pd.DataFrame({'city': ['Oslo', 'Lima', 'Pune'],\n"
        "                      'rain': [VALUE, 1.5, 2.25]})\nframe",
    ),
    (
        "plot",
        "%matplotlib inline\nimport matplotlib.pyplot as plt\n"
        "fig, ax = plt.subplots(figsize=(3, 2))\n"
        "ax.plot([1, 3, 2, PEAK])\nplt.show()",
    ),
    (
        "progress",
        "import time\nfrom tqdm import tqdm\nfor _ in tqdm(range(30)):\n    time.sleep(0.002)",
    ),
    (
        "timing",
        "import time\nstarted = time.perf_counter()\ntime.sleep(0.01)\n"
        "print(f'took {time.perf_counter() - started:.4f}s')",
    ),
    ("ids", "import uuid, tempfile\nprint(uuid.uuid4())\nprint(tempfile.mkdtemp())"),
    ("warns", "import warnings\nwarnings.warn('careful with that')"),
    ("greeting", "print('hello, world')"),
    ("raises", "raise ValueError(f'bad thing {object()}')"),
)


def volatile_notebook(
    value: str = "0.5", peak: str = "2", greeting: str = "hello, world"
) -> dict[str, Any]:
    cells = []
    for cell_id, source in VOLATILE_CELLS:
        source = source.replace("VALUE", value).replace("PEAK", peak)
        source = source.replace("hello, world", greeting)
        tags = ("raises-exception",) if cell_id == "raises" else ()
        cells.append(factory.code(source, cell_id=cell_id, tags=tags))
    return factory.notebook(factory.markdown("# Volatile outputs", cell_id="title"), *cells)

"""churnkit: a small customer-churn toolkit used by the example notebooks."""

from churnkit.data import load_customers
from churnkit.features import add_features
from churnkit.model import ChurnModel

__all__ = ["ChurnModel", "add_features", "load_customers"]

"""Synthetic customer data: deterministic for a given seed, no real person in it."""

from __future__ import annotations

import numpy as np
import pandas as pd

PLANS = ("basic", "standard", "premium")


def load_customers(n: int = 500, seed: int = 7) -> pd.DataFrame:
    """A customer table with a churn label that depends on tenure, price and support calls."""
    rng = np.random.default_rng(seed)
    tenure = rng.integers(1, 72, size=n)
    plan = rng.choice(PLANS, size=n, p=[0.5, 0.35, 0.15])
    base = np.select([plan == "basic", plan == "standard"], [29.0, 59.0], default=99.0)
    monthly = np.round(base + rng.normal(0, 5, size=n), 2)
    calls = rng.poisson(1.5, size=n)
    logit = -1.0 - 0.04 * tenure + 0.02 * (monthly - 50) + 0.45 * calls
    churned = rng.random(n) < 1 / (1 + np.exp(-logit))
    return pd.DataFrame(
        {
            "customer": [f"C{i:05d}" for i in range(n)],
            "tenure_months": tenure,
            "plan": plan,
            "monthly_charge": monthly,
            "support_calls": calls,
            "churned": churned,
        }
    )

"""Feature engineering for the churn model."""

from __future__ import annotations

import pandas as pd

FEATURES = ("tenure_years", "monthly_charge", "support_calls", "is_premium", "charge_per_year")


def add_features(customers: pd.DataFrame) -> pd.DataFrame:
    """Model features; the input frame is not modified."""
    out = customers.copy()
    out["tenure_years"] = out["tenure_months"] / 12
    out["is_premium"] = (out["plan"] == "premium").astype(int)
    out["charge_per_year"] = out["monthly_charge"] * 12 / out["tenure_years"].clip(lower=1)
    return out


def summarize(customers: pd.DataFrame) -> pd.DataFrame:
    """Churn rate and mean charge per plan."""
    grouped = customers.groupby("plan", observed=True)
    return grouped.agg(
        customers=("customer", "count"),
        churn_rate=("churned", "mean"),
        mean_charge=("monthly_charge", "mean"),
    ).round(3)

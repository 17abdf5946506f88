"""Schema slice: sharing agreements and the access report (dissemination records)."""

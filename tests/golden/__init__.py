"""Golden report files and the fixed set of results they are rendered from (``sample``)."""

"""Job 2, reviewing an edited draft: check and its rules, fix, number fidelity, update."""

# trust: fuzzing (make fuzz), hostile names, churn, no-root, soak (make check-extra)

print("ttusage-bench: not yet")

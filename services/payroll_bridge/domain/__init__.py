"""Pure pay rules (standard library only): money, caps, performance pay, bonuses, batches.

DOMAIN.md §5 with seed 004 §7 and seed 003. Every rule keeps exact Decimals and
rounds once, at the line (`money.round_money`); every result carries the
inputs and intermediate values that explain it.
"""

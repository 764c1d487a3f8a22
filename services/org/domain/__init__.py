"""Pure org rules (standard library only): who works when, and who is appraised."""

"""Pure appraisal rules (standard library only): item scoring, results, grades, consequences."""

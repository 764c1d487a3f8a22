"""The appraisal service: the appraisal workflow; its process also serves the Org API."""

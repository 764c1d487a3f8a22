"""Pure metrics rules (standard library only): base measures and the KPI catalog."""

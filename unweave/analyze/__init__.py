"""The analysis stage: measures, cells, brokerage, disruption and time windows on a Network."""

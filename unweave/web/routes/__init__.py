"""One router module per area; each holds the area's API routes and its pages."""

"""Access: who the users are, what they may see, and how that is enforced (issue 6)."""

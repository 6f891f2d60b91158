"""People and leads: identities, merges, forgetting, ranking, follow-ups."""

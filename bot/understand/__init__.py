"""Reply understanding (pure): intent, referrals, priority."""

"""Who may act on other people's accounts: programme staff only."""

import rules

from portal.permissions import is_programme_staff

# Resetting someone's second factor; the service refuses a reset of one's own.
rules.add_perm("accounts.reset_mfa", is_programme_staff)

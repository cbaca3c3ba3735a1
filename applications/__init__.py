"""The scholarship programme: calls, applications, the committee's review, decisions and awards."""

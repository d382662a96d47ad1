"""Messages to people: email (SendGrid, or the dev mailbox locally)."""

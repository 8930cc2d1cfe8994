"""Keeping the force's store: users, settings and reference edits, SSH keys, the force server's set-up."""

"""What the screens and commands read: queues, a request with its history, the dashboard, the ledger search."""

"""The one write path: the rules, each action's plan and effect, reopening, templates and batches of decisions."""

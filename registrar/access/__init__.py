"""Who is acting and by which door: the OS account, sudo's caller or an SSH key; what the SSH gateway will run."""

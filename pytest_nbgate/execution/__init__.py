"""Running a notebook: nbclient facade, client, kernel pool, fork server, process tree."""

"""Teams and federations: the data every area hangs on (the teams API is in casework.auth.teams_api)."""

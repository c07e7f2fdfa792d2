# the ncurses screen (owned by the screen engineer)

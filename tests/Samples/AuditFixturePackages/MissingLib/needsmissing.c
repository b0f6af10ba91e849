int not_there(void);
int needs_missing(void) { return not_there(); }

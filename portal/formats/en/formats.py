"""English for readers all over the world: day, month, year and a 24-hour clock
("31 January 2027, 17:00"), as the portal always wrote, rather than Django's American default
("Jan. 31, 2027, 5 p.m.")."""

DATE_FORMAT = "j F Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y, H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y, H:i"

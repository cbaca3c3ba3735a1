"""Arabic: Django's month names and dates, with what its module lacks. Digits stay Latin, as in
Django's dates and Babel's amounts (`money`); a 24-hour clock, as in the other languages; and
the separators and grouping of Arabic written with Latin digits (CLDR's, which Babel uses),
so that a number and an amount of money read the same: 2,500.00."""

TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F، Y، H:i"
SHORT_DATETIME_FORMAT = "d\u200f/m\u200f/Y H:i"
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3

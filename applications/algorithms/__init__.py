"""The scholarship programme's pure computations: reviewer assignment, score normalisation, the
rubric total, the ranking board's figures, completeness. No Django and no project models here:
callers pass plain values (ids, numbers, strings), including the states a computation needs."""

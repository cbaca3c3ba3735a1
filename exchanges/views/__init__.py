"""Exchange views, thin: authorise, call one service or selector, render. One module per
audience: the public, students, partner schools, programme staff."""

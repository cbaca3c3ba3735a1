"""Mentoring pages: ``people`` (mentors and mentees), ``mentorships`` (goals, check-ins,
ending) and ``staff`` (approval, rules, rounds, engagement). Thin: authorise, call one
service or selector, render."""

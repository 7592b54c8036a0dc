"""Stage 3: normalisers shared by the rules and the spaCy pipeline: dates, money, registration numbers, programmes, names, scans."""

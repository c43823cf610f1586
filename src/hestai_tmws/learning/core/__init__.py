"""The learning loop's pure algorithms: tokens, mining, stats, clustering, checks, states, SOPs.

Nothing here reads or writes files; the wiring around it lives one level up in `learning/`.
"""

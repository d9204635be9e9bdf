"""Cross-border hit/no-hit: encoded indexes, matching, owner notification, deconfliction.

An agency turns the persons, phones, identity documents and bank accounts of chosen datasets
into an *index* that holds no personal data in clear (``encode``), signed with the
partnership's key (``indexfile``); any node matches two indexes (``match``) and learns only
hit or no hit, a score and the owner's opaque reference and contact. The owner alone maps
its references back to entities (``refs``), is notified of every hit (``notify``) and
answers requests by sharing into a case or declining; targets of two agencies' active cases
that meet raise a deconfliction alert (``deconflict``). ``node`` is the HTTP API between
Unweave nodes.
"""

"""Results cached by content: static findings by default, execution results when asked.

An entry is found only by a key hashing everything that can change its
findings (:mod:`.keys`); :mod:`.store` writes entries atomically and never
trusts one it cannot verify.
"""

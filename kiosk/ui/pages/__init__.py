"""The wizard's pages (one module each); see ``base.Page`` for the contract."""

//! Request and response types of organisations.

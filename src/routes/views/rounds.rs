//! Request and response types of rounds.

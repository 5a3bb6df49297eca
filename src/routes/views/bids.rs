//! Request and response types of bids.

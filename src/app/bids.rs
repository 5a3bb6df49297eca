//! Use cases of the bids aggregate.

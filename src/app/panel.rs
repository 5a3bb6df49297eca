//! Use cases of the panel aggregate.

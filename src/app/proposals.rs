//! Use cases of the proposals aggregate.

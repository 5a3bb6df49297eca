//! Use cases of the lists aggregate.

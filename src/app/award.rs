//! Use cases of the award aggregate.

//! The page's parts, one module each, named after what the user sees. They draw what
//! they are given and report what the user does through callbacks; the page's state
//! lives in `crate::page::state`.

mod breakdown;
mod budget;
mod compare;
mod detail;
mod downloads;
mod drop_zone;
mod histogram;
mod near_duplicates;
mod offline;
mod parse_drawing;
mod playground;
mod progress;
mod results_table;
mod run_matrix;
mod runs;
mod stability;
mod stored_runs;
mod token_counter;

pub use breakdown::Breakdown;
pub use budget::BudgetPanel;
pub use compare::CompareView;
pub use detail::RecordDetail;
pub use downloads::Downloads;
pub use drop_zone::DropZone;
pub use histogram::ScoreHistogram;
pub use near_duplicates::NearDuplicates;
pub use offline::OfflineStatus;
pub use playground::PlaygroundView;
pub use progress::ProgressView;
pub use results_table::ResultsTable;
pub use runs::RunsList;
pub use stability::StabilityPanel;
pub use stored_runs::StoredRuns;
pub use token_counter::TokenCounterPicker;

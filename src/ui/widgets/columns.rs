//! Table column widths fitted to their content: short columns keep their width and give the
//! rest to the long ones, which share it evenly; a column is dropped only when the minimum
//! widths do not fit, lowest priority first. A cell cut to its column ends with `…`
//! (see [`super::cut`]).

/// What a column asks for.
#[derive(Debug, Clone, Copy)]
pub struct Want {
    /// Its widest cell (or title).
    pub desired: u16,
    /// Narrower than this it is not worth showing.
    pub minimum: u16,
    /// 0: never dropped; otherwise the highest goes first.
    pub drop: u8,
}

impl Want {
    /// A column whose cells are `widths` wide, under a title `title` wide.
    pub fn of(title: u16, widths: impl Iterator<Item = usize>, drop: u8) -> Self {
        let widest = widths.max().unwrap_or(0).min(usize::from(u16::MAX)) as u16;
        let desired = widest.max(title);
        Self {
            desired,
            // Names narrower than this are hard to tell apart: fewer columns read better.
            minimum: desired.min(title.max(16)),
            drop,
        }
    }
}

/// Widths that fit `available` cells with `spacing` between columns; `None`: dropped.
pub fn fit(wants: &[Want], available: u16, spacing: u16) -> Vec<Option<u16>> {
    let mut shown: Vec<bool> = vec![true; wants.len()];
    let total = |shown: &[bool], w: &dyn Fn(&Want) -> u16| -> u32 {
        let n = shown.iter().filter(|s| **s).count() as u32;
        wants
            .iter()
            .zip(shown)
            .filter(|(_, s)| **s)
            .map(|(c, _)| u32::from(w(c)))
            .sum::<u32>()
            + u32::from(spacing) * n.saturating_sub(1)
    };
    while total(&shown, &|c| c.minimum) > u32::from(available) {
        // The lowest priority (ties: the rightmost) goes.
        let Some(i) = (0..wants.len())
            .filter(|&i| shown[i] && wants[i].drop > 0)
            .max_by_key(|&i| (wants[i].drop, i))
        else {
            break;
        };
        shown[i] = false;
    }
    let n = shown.iter().filter(|s| **s).count() as u32;
    let room = u32::from(available).saturating_sub(u32::from(spacing) * n.saturating_sub(1));
    let mut widths: Vec<u32> = wants.iter().map(|c| u32::from(c.minimum)).collect();
    let mut used: u32 = (0..wants.len())
        .filter(|&i| shown[i])
        .map(|i| widths[i])
        .sum();
    // One cell at a time to the narrowest column that wants more: even shares, and a short
    // column takes only what it needs.
    while used < room {
        let Some(i) = (0..wants.len())
            .filter(|&i| shown[i] && widths[i] < u32::from(wants[i].desired))
            .min_by_key(|&i| (widths[i], i))
        else {
            break;
        };
        widths[i] += 1;
        used += 1;
    }
    (0..wants.len())
        .map(|i| shown[i].then_some(widths[i] as u16))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn want(desired: u16, minimum: u16, drop: u8) -> Want {
        Want {
            desired,
            minimum,
            drop,
        }
    }

    #[test]
    fn everything_fits_at_its_width() {
        let w = fit(&[want(10, 6, 0), want(20, 6, 1)], 80, 2);
        assert_eq!(w, [Some(10), Some(20)]);
    }

    #[test]
    fn short_columns_give_their_room_to_long_ones() {
        // 70 cells: the two short columns keep theirs, the long ones share the rest evenly.
        let w = fit(
            &[
                want(60, 6, 0),
                want(10, 6, 1),
                want(60, 6, 2),
                want(4, 4, 3),
            ],
            70,
            2,
        );
        assert_eq!(w, [Some(25), Some(10), Some(25), Some(4)]);
    }

    #[test]
    fn columns_drop_only_when_minimums_do_not_fit() {
        let w = fit(&[want(30, 10, 0), want(30, 10, 2), want(30, 10, 1)], 30, 2);
        assert_eq!(w, [Some(14), None, Some(14)]);
        // Nothing droppable: the column keeps its minimum (the table clips it).
        let w = fit(&[want(30, 10, 0)], 5, 2);
        assert_eq!(w, [Some(10)]);
    }
}

//! Link stage: put pages in their sections, order them, and catch what only
//! the whole site can show (two files writing one address, dangling ids).

use crate::content::Loaded;
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::{Page, Section};
use crate::msg;
use std::cmp::Ordering;
use std::collections::BTreeMap;

/// The content tree as sections holding ordered pages.
pub struct Linked {
    pub sections: Vec<Section>,
    pub pages: Vec<Page>,
    pub assets: Vec<crate::model::Asset>,
}

pub fn link(loaded: Loaded, diags: &mut Diagnostics) -> Linked {
    let Loaded { mut sections, mut pages, assets } = loaded;
    // The home section is always first, even when `content/_index.md` is missing.
    if sections.first().is_none_or(|s| !s.path.is_empty()) {
        let mut home = sections.first().cloned().unwrap_or_else(|| panic!("content walk always yields the root"));
        home.path = String::new();
        sections.insert(0, home);
    }
    // Sorted through indices, then put in place by swaps: a page is large,
    // and copying 11,000 of them into new vectors (twice) was most of this
    // stage, which runs on one core.
    let mut order_by_file: Vec<usize> = (0..pages.len()).collect();
    order_by_file.sort_by(|&a, &b| pages[a].file.cmp(&pages[b].file));
    permute(&mut pages, order_by_file);

    // Parent of each section: the nearest section whose path is a prefix.
    let paths: Vec<String> = sections.iter().map(|s| s.path.clone()).collect();
    // `strict`: a section is not its own parent; a page's folder may be its section.
    let owner_of = |path: &str, strict: bool| -> usize {
        (0..paths.len())
            .filter(|&i| path.starts_with(&paths[i]) && (!strict || paths[i].len() < path.len()))
            .max_by_key(|&i| paths[i].len())
            .unwrap_or(0)
    };
    for i in 1..sections.len() {
        let parent = owner_of(&sections[i].path, true);
        sections[i].parent = Some(parent);
        sections[parent].subsections.push(i);
        // Only top-level sections go in the main navigation.
        if parent != 0 {
            sections[i].in_nav = false;
        }
    }
    for (i, p) in pages.iter_mut().enumerate() {
        // `news/a/` → `news/`, without the trailing slash's copy.
        let parent_path = p.path.trim_end_matches('/').rsplit_once('/').map_or("", |(d, _)| &p.path[..d.len() + 1]);
        let s = owner_of(parent_path, false);
        p.section = s;
        sections[s].pages.push(i);
    }
    for s in &mut sections {
        let ordered_by_weight = s.kind.is_some();
        s.pages.sort_by(|&a, &b| order(&pages[a], &pages[b], ordered_by_weight));
    }
    let weights: Vec<(Option<i64>, String)> = sections.iter().map(|s| (s.weight, s.path.clone())).collect();
    for s in &mut sections {
        s.subsections.sort_by(|&a, &b| cmp_weight(&weights[a], &weights[b]));
    }

    let dup_ids = check_unique_ids(&sections, &pages, diags);
    check_unique_paths(&sections, &pages, &assets, &dup_ids, diags);
    check_references(&sections, &pages, diags);
    Linked { sections, pages, assets }
}

/// Rearranges `v` so that `v[k]` becomes the old `v[order[k]]` (`order` is a
/// permutation), by following each cycle of swaps.
fn permute<T>(v: &mut [T], mut order: Vec<usize>) {
    for start in 0..v.len() {
        // `order[k] == k` once position k holds its element.
        let mut k = start;
        while order[k] != start {
            let next = order[k];
            v.swap(k, next);
            order[k] = k;
            k = next;
        }
        order[k] = k;
    }
}

fn cmp_weight(a: &(Option<i64>, String), b: &(Option<i64>, String)) -> Ordering {
    a.0.unwrap_or(i64::MAX).cmp(&b.0.unwrap_or(i64::MAX)).then_with(|| a.1.cmp(&b.1))
}

/// Plain sections: newest first. Record sections: by `weight`, then id.
fn order(a: &Page, b: &Page, by_weight: bool) -> Ordering {
    if by_weight {
        a.weight.unwrap_or(i64::MAX).cmp(&b.weight.unwrap_or(i64::MAX)).then_with(|| a.id.cmp(&b.id))
    } else {
        b.date.cmp(&a.date).then_with(|| a.weight.unwrap_or(i64::MAX).cmp(&b.weight.unwrap_or(i64::MAX))).then_with(|| a.file.cmp(&b.file))
    }
}

/// Two sources writing one output file is an error naming both.
fn check_unique_paths(sections: &[Section], pages: &[Page], assets: &[crate::model::Asset], dup_ids: &[usize], diags: &mut Diagnostics) {
    let mut seen: std::collections::HashMap<String, String> = std::collections::HashMap::with_capacity(sections.len() + pages.len() + assets.len());
    let mut claim = |out: String, file: &str, diags: &mut Diagnostics| {
        if let Some(first) = seen.get(&out) {
            diags.push(
                Diagnostic::error("duplicate-path", file, msg!("输出路径 /{out} 与 {first} 重复", "output path /{out} is also written by {first}"))
                    .with_help(msg!("改一个文件名，或在前置元数据中写不同的 slug", "rename one of the files, or give one a different `slug`")),
            );
        } else {
            seen.insert(out, file.to_owned());
        }
    };
    for s in sections.iter().filter(|s| s.has_index) {
        claim(format!("{}index.html", s.path), &s.file, diags);
    }
    for (i, p) in pages.iter().enumerate() {
        // A duplicate id is already reported; its page path repeats with it.
        if !dup_ids.contains(&i) {
            claim(format!("{}index.html", p.path), &p.file, diags);
        }
    }
    for a in assets {
        claim(a.path.clone(), &a.path, diags);
    }
}

/// Every id a record refers to (a task's 牵头领导, a project's 包保领导 …) exists.
fn check_references(sections: &[Section], pages: &[Page], diags: &mut Diagnostics) {
    let mut ids: BTreeMap<crate::model::Kind, Vec<&str>> = BTreeMap::new();
    for p in pages {
        if let Some(k) = sections[p.section].kind {
            ids.entry(k).or_default().push(&p.id);
        }
    }
    for p in pages {
        for r in &p.refs {
            let known = ids.get(&r.kind).map(Vec::as_slice).unwrap_or(&[]);
            if known.contains(&r.id.as_str()) {
                continue;
            }
            // A project's 建设单位 may be a plain company name rather than an id.
            if r.kind == crate::model::Kind::Enterprises && known.is_empty() {
                continue;
            }
            let (id, what) = (&r.id, r.kind.name_zh());
            let mut d = r.at.clone();
            d.code = "reference";
            let en = r.kind.name();
            d.message = msg!("找不到编号为“{id}”的{what}", "no {en} record has the id `{id}`");
            d.help = Some(match crate::schema::closest_str(id, known.iter().copied()) {
                Some(g) => msg!("是不是想写“{g}”？", "did you mean `{g}`?"),
                None => msg!("先在{what}栏目中建立这条记录", "create that record in the {en} section first"),
            });
            diags.push(d);
        }
    }
}

/// Record ids are what other records refer to: unique within a kind.
fn check_unique_ids(sections: &[Section], pages: &[Page], diags: &mut Diagnostics) -> Vec<usize> {
    let mut seen: BTreeMap<(crate::model::Kind, &str), &str> = BTreeMap::new();
    let mut dups = Vec::new();
    for (i, p) in pages.iter().enumerate() {
        let Some(kind) = sections[p.section].kind else { continue };
        if let Some(first) = seen.insert((kind, p.id.as_str()), p.file.as_str()) {
            dups.push(i);
            diags.push(
                Diagnostic::error("duplicate-id", p.file.clone(), msg!("编号“{}”与 {first} 重复", "id `{}` is also used by {first}", p.id))
                    .with_help(msg!("每条记录的编号（id）要唯一", "give each record its own `id`")),
            );
        }
    }
    dups
}

#[cfg(test)]
mod tests {
    use super::permute;

    #[test]
    fn permute_puts_each_element_where_the_order_says() {
        // Every permutation of five elements, against building a new vector.
        let mut order: Vec<usize> = (0..5).collect();
        let mut count = 0;
        loop {
            let mut v: Vec<String> = (0..5).map(|i| format!("p{i}")).collect();
            let want: Vec<String> = order.iter().map(|&i| v[i].clone()).collect();
            permute(&mut v, order.clone());
            assert_eq!(v, want, "order {order:?}");
            count += 1;
            // Next permutation in lexicographic order.
            let Some(i) = (0..4).rev().find(|&i| order[i] < order[i + 1]) else { break };
            let j = (i + 1..5).rev().find(|&j| order[j] > order[i]).expect("exists");
            order.swap(i, j);
            order[i + 1..].reverse();
        }
        assert_eq!(count, 120);
    }
}

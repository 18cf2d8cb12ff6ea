# Box plots of Lambda cold starts from a speed.csv, as in the original study
# ("Custom runtime on Amazon Linux 2 - GO outperforms Node (3x) and Python (2x)", 2023).
#
# Works unchanged on lambda-coldstart's speed.csv and on the study's own files, because our speed.csv keeps the
# study's first five columns (Name;Memory;Init;Cold;Billed, ms as Lambda printed them) and adds ours after them
# (MaxMemory;Restore;Runtime;Architecture;RequestId;Timestamp).
#
# Usage:  Rscript examples/plot.R [speed.csv] [boxplot.png]
# Needs:  install.packages("ggplot2")

library(ggplot2)

args <- commandArgs(trailingOnly = TRUE)
file <- if (length(args) >= 1) args[1] else "./speed.csv"
out <- if (length(args) >= 2) args[2] else "boxplot.png"

# Read: semicolon-separated, with a header line -- exactly the study's call.
speedIn <- read.csv(file, sep = ";", header = TRUE)

# Transform: read.csv keeps the header's case, so the column is `Init`, while the study's ggplot call uses `init`.
# The study bridged that in transform(); we do the same, so its plot line below runs as it was published.
#   Name   as text (older R versions read strings as factors)
#   init   Init Duration in ms, as a number
#   Memory a factor in numeric order, so the panels read 128, 1024, ... rather than alphabetically
speed <- transform(speedIn,
                   Name = as.character(Name),
                   init = as.numeric(Init),
                   Memory = factor(Memory, levels = sort(unique(Memory))))

# SnapStart functions have no Init Duration; their cold-start cost is the Restore Duration (our extra column).
if ("Restore" %in% names(speed)) {
  speed$init <- ifelse(is.na(speed$init), as.numeric(speed$Restore), speed$init)
}

# Plot: the study's line (box plot of init per function, y axis from 0), plus one panel per memory size.
p <- ggplot(speed, aes(y = init, x = Name)) + geom_boxplot() +
  ylim(0, NA) +
  facet_wrap(~ Memory, labeller = label_both, scales = "free_x") +
  labs(x = NULL, y = "Init Duration (ms)") +
  theme(axis.text.x = element_text(angle = 35, hjust = 1))

ggsave(out, p, width = 9, height = 5)
message("wrote ", out)

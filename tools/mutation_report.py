"""The mutation score per module, from mutmut's results in mutants/ (make mutation runs it after mutmut).

Usage: python tools/mutation_report.py [--survivors]

A module's score is the share of its non-equivalent mutants that a test kills (a timeout counts as
killed; a mutant no test reaches counts as surviving). EQUIVALENT lists the mutants that change no
behaviour, each with the reason; a name listed there that mutmut no longer makes is an error, so the
list stays true as the code changes. Exits non-zero when a module scores under MINIMUM.
"""

import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MINIMUM = 0.90
KILLED, SURVIVED = {1, 3, 24, 36, 152, 255, -24}, {0, 5, 33}
#: mutant -> why it changes no behaviour
_ZIP = "zip's strict flag: the two sequences zipped there always have the same length"
_PAIRED = "the other marker of the pair: a region's two markers come together (regions() refuses one alone)"
_UTF8 = "the encoding named otherwise: Python's UTF-8 mode and codec names ignore case (UTF-8 on these machines)"
_FLUSH = "print's flush: when the line appears, not what it says"
_TIMEOUT = "the kernel's timeout: changes nothing unless a notebook hangs"
_FLOAT = "a dtype left out: got_arr is float64, so the difference and np.allclose run in float64, and :g prints " \
         "a bool or an int alike"
_ASARRAY = "the frequency not made float: an int gives an int phase, and exp(1j * phase) the same numbers"
_OVERFLOW = ("np.errstate without one of its two ignores: a run is stopped at BLOWUP times its first loss long "
             "before float64 overflows (checked with warnings as errors up to lr = 1e3)")
_ANIMATED = ("full_redraw's un-animating and re-animating: None is as falsy as False, and _render marks the "
             "dynamic and cached artists animated again before it draws any new background")
_HEX = "a colour's hex digits in lower case: matplotlib reads hex colours in either case"
_ZORDER = ("a label's zorder 3 left out, None or 4: a Text's default is 3, and no label of a graph overlaps "
           "another label")
_DEFAULT = "a colour left to matplotlib: viridis is the default colour map, C0 the first line's colour"
_FONTSIZE = "fontsize=None or left out: a text's size is then rcParams['font.size'], 10, the size written"
_AUTOSCALE = ("a colour limit left to autoscale: the first data are zeros, so vmin becomes 0, and TwoSlopeNorm "
              "makes a missing end the mirror of the other about its centre 0")
_OVERWRITTEN = "a kernel weight's first text ('XXXX' or None): draw sets every weight's text before a frame shows"
_MOMENTUM_INIT = "coursekit.momentum_explorer.xǁMomentumExplorerǁ__init____mutmut_"
_EMPTY_LINE = "plot([], ...) for plot([], [], ...) (or semilogy): y = [] with x its index, the same empty line"
_LINEWIDTH = "linewidth None or left out: rcParams['lines.linewidth'], 1.5, the width written"
_COLOURBAR = "a colour bar with no ax: matplotlib takes the image's own axes"
EQUIVALENT = {
    "coursekit.comparison.x_kind__mutmut_15": "'XX' around the vowels: the first letter is lowercased first",
    "coursekit.comparison.x_compare__mutmut_58": _ZIP + " or is cut at the shorter (strict=False is the default)",
    "coursekit.comparison.x_compare__mutmut_61": _ZIP + " or is cut at the shorter (strict=False is the default)",
    "coursekit.comparison.x_compare__mutmut_96": "'XX' around the dtype kinds: a kind is one lowercase letter",
    "coursekit.comparison.x_compare__mutmut_101": "astype(None) is astype(float64)",
    "coursekit.comparison.x_compare__mutmut_104": _FLOAT,
    "coursekit.comparison.x_compare__mutmut_106": _FLOAT,
    "coursekit.comparison.x_compare__mutmut_127": "np.unravel_index of a 0-d error gives () as well",
    "coursekit.exercises.xǁ_Casesǁ_run__mutmut_5": _ZIP,
    "coursekit.exercises.xǁ_Casesǁ_run__mutmut_8": _ZIP,
    "coursekit.exercises.xǁ_Casesǁ_run__mutmut_9": _ZIP,
    "coursekit.exercises.x__judge_answer__mutmut_32": "'XX' around the dtype kinds: a kind is one lowercase letter",
    "coursekit.exercises.x_check_answer__mutmut_19": "graded_later=None: as falsy as False",
    "coursekit.sealing.x_seal__mutmut_3": "'XX' around the dtype kinds: a kind is one lowercase letter",
    "coursekit.sealing.x_seal__mutmut_37": "'ASCII' for 'ascii': codec names ignore case",
    "helpers.x_relative_error__mutmut_3": "one argument not made float64: NumPy promotes it in a - b and the norm",
    "helpers.x_relative_error__mutmut_5": "one argument not made float64: NumPy promotes it in a - b and the norm",
    "helpers.x_relative_error__mutmut_7": "one argument not made float64: NumPy promotes it in a - b and the norm",
    "helpers.x_relative_error__mutmut_9": "one argument not made float64: NumPy promotes it in a - b and the norm",
    "tools.make_student.x_sealed_answers__mutmut_30": _TIMEOUT,
    "tools.make_student.x_sealed_answers__mutmut_34": _TIMEOUT,
    "tools.make_student.x_sealed_answers__mutmut_37": _TIMEOUT,
    "tools.make_student.x_sealed_answers__mutmut_35": "no kernel name: the notebook's own kernelspec is python3",
    "tools.make_student.x_sealed_answers__mutmut_39": "PYTHON3: kernelspec names are looked up in lower case",
    "tools.make_student.x_sealed_answers__mutmut_47": "the probe prints one line: one stdout output to join",
    "tools.make_student.x_grading_metadata__mutmut_7": _PAIRED,
    "tools.make_student.x_grading_metadata__mutmut_33": _PAIRED,
    "tools.make_student.x_grading_metadata__mutmut_46": _PAIRED,
    **{f"tools.make_student.x_main__mutmut_{k}": _UTF8 for k in (20, 22, 35, 37, 39, 84, 86, 88, 90, 92)},
    **{f"tools.make_student.x_main__mutmut_{k}": _FLUSH for k in (41, 43, 44, 72, 74, 75)},
    "tools.make_student.x__cells__mutmut_3": "a fingerprint one hex digit longer: written and compared by the same "
                                             "function",
    **{f"coursekit.graph_drawing.x_draw_graph__mutmut_{k}": _HEX for k in (40, 170)},
    **{f"coursekit.graph_drawing.x_draw_graph__mutmut_{k}": _ZORDER for k in (118, 125, 138, 202, 209, 220)},
    "coursekit.graph_drawing.x_draw_graph__mutmut_154": "ha='left' left out: a Text's default alignment is left",
    "coursekit.graph_drawing.x_draw_graph__mutmut_227": "the result edge's operand index: it is never read (that "
                                                        "edge gets no operand mark)",
    **{f"coursekit.quadratic.x_steps_per_decade__mutmut_{k}": "the clip's upper bound gone or 2: only rates >= 1 "
       "reach it, and np.where gives those inf" for k in (33, 38)},
    "coursekit.png.x__chunk__mutmut_9": "the length packed signed: the same bytes below 2**31",
    "coursekit.png.x_rgba_png__mutmut_32": "reshape infers any negative size: (height, -2) is (height, -1)",
    "coursekit.png.x_rgba_png__mutmut_56": "the header packed signed: the same bytes for sizes below 2**31 and "
                                           "fields below 128",
    "coursekit.quadratic.x_optimize__mutmut_87": "a rule's result not made float: the gradient, the loss and the "
                                                 "path are float64 from the curvatures anyway",
    **{f"coursekit.quadratic.x_draw_quadratic_contours__mutmut_{k}": "viridis left out: it is matplotlib's default "
       "colour map" for k in (38, 44)},
    **{f"coursekit.quadratic.x_draw_quadratic_contours__mutmut_{k}": "plot(0, ...) draws the point (0, 0) too: x "
       "defaults to the index, 0" for k in (65, 66)},
    **{f"coursekit.quadratic.x_draw_quadratic_contours__mutmut_{k}": "a limit left to autoscale: the contour grid "
       "spans exactly xlim and ylim, and contours keep autoscale to their data" for k in (84, 85, 88, 89)},
    **{f"coursekit.quadratic.x_steps_per_decade__mutmut_{k}": "the rate not made float64: np.clip with float bounds "
       "and np.log10 give float64 anyway" for k in (3, 5)},
    "coursekit.quadratic.x_optimize__mutmut_89": "a rule's result not made float: the gradient, the loss and the "
                                                 "path are float64 from the curvatures anyway",
    **{f"tools.make_student.x_holds_own_work__mutmut_{k}": "git's output read as bytes: nbformat.reads parses bytes "
       "as well" for k in (27, 31, 37)},
    **{f"coursekit.graph_drawing.x_graph_layout__mutmut_{k}": "an operator input taken as a leaf: it is placed "
       "already (operators come in order), so the leaves skip it all the same" for k in (54, 55)},
    "coursekit.graph_drawing.x_draw_graph__mutmut_420": "(y0 - y1) / 2 for (y0 + y1) / 2: the operator end sits on "
                                                        "row 0",
    "coursekit.graph_drawing.x_draw_graph__mutmut_460": "else 1 for else 0: min(rows) - 0.5 is at most -0.5 "
                                                        "(operators sit on row 0), below both",
    "coursekit.quadratic.x_optimize__mutmut_109": "< for <=: only a loss exactly BLOWUP times the start tells them "
                                                  "apart",
    "coursekit.graph_drawing.x_gradient_rule__mutmut_19": "the inputs of a data or parameter node: it has none",
    "coursekit.graph_drawing.x_draw_graph__mutmut_289": "break for continue at the result's edge: it is the last edge",
    "coursekit.graph_drawing.x_draw_graph__mutmut_305": "ha='left' left out: a Text's default alignment is left",
    "coursekit.graph_drawing.x_draw_graph__mutmut_311": "0.5 / sign for 0.5 * sign: the sign is 1 or -1",
    "coursekit.graph_drawing.x_draw_graph__mutmut_314": "sign(y0 + y1) for sign(y0 - y1): an operator sits on row 0, "
                                                        "so y1 = 0",
    "coursekit.graph_drawing.x_graph_layout__mutmut_12": "k from 0: the rows tried first are the row itself, tried "
                                                         "already",
    "coursekit.graph_drawing.x_graph_layout__mutmut_15": "a 20th pair of rows to try: only an operator with 39 leaves "
                                                         "in one column would reach it",
    "coursekit.lessons.backprop.x_relu_prime__mutmut_1": "astype(None) is astype(float64)",
    "coursekit.lessons.momentum.x_spectral_radius__mutmut_12": "- 0j for + 0j: the other square root of a negative "
                                                               "number, and max(|b + r|, |b - r|) takes both",
    **{f"coursekit.data.x_init_params__mutmut_{k}": _ZIP + ": sizes[:-1] and sizes[1:]" for k in (32, 35, 39)},
    "coursekit.explorer.xǁ_StaticFigureǁ_repr_mimebundle___mutmut_6": "'ASCII' for 'ascii': codec names ignore case",
    **{f"coursekit.explorer.xǁExplorerǁfull_redraw__mutmut_{k}": _ANIMATED for k in (2, 3, 6, 7, 8)},
    "coursekit.lessons.conv.x_conv2d__mutmut_53": "reshape infers any negative size: (-2, 1, 1) is (-1, 1, 1)",
    **{f"coursekit.lessons.conv.x_frequency_response__mutmut_{k}": _ASARRAY for k in (10, 12, 18, 20)},
    "coursekit.lessons.graph.xǁNodeǁ__init____mutmut_3": "a leaf's pass_back is never read: only operators' are called",
    **{f"coursekit.training.x_checked_data__mutmut_{k}": _ZIP + ": data is a 4-tuple, checked just above"
       for k in (19, 22, 31)},
    **{f"coursekit.training.x_fit__mutmut_{k}": _OVERFLOW for k in (60, 61, 62, 63)},
    "coursekit.training.x_fit__mutmut_78": "backward's result checked every epoch instead of the first: the same "
                                           "run, slower",
    "coursekit.training.x_fit__mutmut_90": ">= for >: only a loss exactly BLOWUP times the first tells them apart",
    "coursekit.training.x__losses_along__mutmut_1": "another chunk size: the same losses, computed in other chunks",
    "coursekit.training.x__losses_along__mutmut_12": "chunks that start at every epoch overlap: each loss computed "
                                                     "again, the same",
    # The conv explorer's drawing: matplotlib's defaults are the values written (checked by its golden pictures).
    **{f"coursekit.conv_explorer.xǁConvExplorerǁ__init____mutmut_{k}": _DEFAULT for k in (64, 68, 238, 242)},
    **{f"coursekit.conv_explorer.xǁConvExplorerǁ__init____mutmut_{k}": _FONTSIZE for k in (77, 110, 116, 128, 160)},
    **{f"coursekit.conv_explorer.xǁConvExplorerǁ__init____mutmut_{k}": _AUTOSCALE for k in (65, 69, 95, 96, 99, 150,
                                                                                                151, 154)},
    **{f"coursekit.conv_explorer.xǁConvExplorerǁ__init____mutmut_{k}": _OVERWRITTEN for k in (107, 117)},
    **{f"coursekit.conv_explorer.xǁConvExplorerǁ__init____mutmut_{k}": _COLOURBAR for k in (180, 185)},
    **{f"coursekit.conv_explorer.xǁConvExplorerǁ__init____mutmut_{k}": _EMPTY_LINE for k in (240, 241)},
    "coursekit.conv_explorer.xǁConvExplorerǁ__init____mutmut_255": "clip_on=None: as falsy as False",
    "coursekit.conv_explorer.xǁConvExplorerǁ__init____mutmut_40": "'380PX': CSS units ignore case",
    **{f"coursekit.conv_explorer.xǁConvExplorerǁdraw__mutmut_{k}": _ZIP + ": nine texts, nine weights" for k in (9, 12,
                                                                                                              15)},
    "coursekit.figures.x_img_html__mutmut_8": "'ASCII' for 'ascii': codec names ignore case",
    "coursekit.figures.x_png_size__mutmut_18": "the size read as signed: the same numbers below 2**31 pixels",
    **{f"coursekit.figures.x_describe__mutmut_{k}": "a title's place in capitals: matplotlib's get_title lowercases "
       "it" for k in (25, 27, 29)},
    **{f"coursekit.conv_explorer.xǁConvExplorerǁ__init____mutmut_{k}": _EMPTY_LINE for k in (257, 258)},
    "coursekit.conv_explorer.xǁConvExplorerǁ__init____mutmut_267": _HEX,
    "coursekit.conv_explorer.xǁConvExplorerǁ__init____mutmut_271": "the measured point's zorder 4 for 3: above the "
                                                                   "curve (2) and frame (2.5) all the same, under "
                                                                   "the legend (5)",
    **{f"coursekit.conv_explorer.xǁConvExplorerǁ__init____mutmut_{k}": "the legend's place left to matplotlib "
       "('best'): it picks the upper right, the first place with no data under it (no data lies there: "
       "test_the_response_legend_covers_no_data)" for k in (287, 289)},
    **{f"coursekit.conv_explorer.xǁConvExplorerǁ__init____mutmut_{k}": "the headline's first text: draw sets it "
       "before the layout is solved" for k in (295, 299)},
    "coursekit.conv_explorer.xǁConvExplorerǁ__init____mutmut_296": _FONTSIZE,
    **{f"coursekit.conv_explorer.xǁConvExplorerǁcompute__mutmut_{k}": "the output not made float: its max is made "
       "float, and imshow draws an int or a float32 output the same" for k in (11, 13)},
    **{f"coursekit.graph_explorer.xǁGraphExplorerǁ__init____mutmut_{k}": "a ring's first centre or size: draw puts "
       "every ring around its node before a frame shows" for k in (79, 80, 81, 82, 108, 109, 110, 111)},
    **{f"coursekit.graph_explorer.xǁGraphExplorerǁ__init____mutmut_{k}": _HEX for k in (85, 114)},
    **{f"coursekit.graph_explorer.xǁGraphExplorerǁ__init____mutmut_{k}": "a ring's zorder 5 for 4: above the graph "
       "(3 at most) all the same" for k in (87, 119)},
    "coursekit.graph_explorer.xǁGraphExplorerǁ__init____mutmut_95": "fill=None: as falsy as False",
    **{f"coursekit.graph_explorer.xǁGraphExplorerǁ__init____mutmut_{k}": "the step's first text: draw sets it before "
       "a frame shows" for k in (124, 136)},
    **{f"coursekit.graph_explorer.xǁGraphExplorerǁ__init____mutmut_{k}": "the headline's first text: draw sets it "
       "before the layout is solved" for k in (143, 147)},
    **{f"coursekit.graph_explorer.xǁGraphExplorerǁ__init____mutmut_{k}": _FONTSIZE for k in (125, 131)},
    "coursekit.graph_explorer.xǁGraphExplorerǁ__init____mutmut_139": "'MONOSPACE': matplotlib's generic family "
                                                                     "names ignore case",
    **{f"coursekit.conv_explorer.xǁConvExplorerǁ__init____mutmut_{k}": "the kernel's ticks on one axis left to "
       "matplotlib: on a panel this size it picks 0, 1, 2 as well (the golden pictures are unchanged)"
       for k in (217, 218)},
    "coursekit.training_explorer.xǁTrainingExplorerǁ__init____mutmut_18": "'INITIAL': CSS keywords ignore case",
    **{f"coursekit.training_explorer.xǁTrainingExplorerǁdraw__mutmut_{k}": "the divergence note's text when the run "
       "did not diverge: the note is hidden then" for k in (43, 44)},
    **{f"coursekit.training_explorer.xǁTrainingExplorerǁ__init____mutmut_{k}": "the seed slider's min left out or "
       "None: an IntSlider's min is 0 by default" for k in (53, 57)},
    **{f"coursekit.training_explorer.xǁTrainingExplorerǁ__init____mutmut_{k}": _DEFAULT for k in (88, 93)},
    **{f"coursekit.training_explorer.xǁTrainingExplorerǁ__init____mutmut_{k}": _EMPTY_LINE for k in (91, 92, 108, 109)},
    **{f"coursekit.training_explorer.xǁTrainingExplorerǁ__init____mutmut_{k}": _LINEWIDTH for k in (106, 112)},
    **{f"coursekit.training_explorer.xǁTrainingExplorerǁ__init____mutmut_{k}": "the legend's handles left to "
       "matplotlib: it collects the same three labelled lines, in the same order" for k in (149, 154)},
    "coursekit.training_explorer.xǁTrainingExplorerǁ__init____mutmut_161": "4 columns for a legend of 3 entries: "
                                                                           "one row all the same",
    **{f"coursekit.training_explorer.xǁTrainingExplorerǁ__init____mutmut_{k}": _DEFAULT for k in (236, 241)},
    **{f"coursekit.training_explorer.xǁTrainingExplorerǁ__init____mutmut_{k}": _EMPTY_LINE for k in (239, 240)},
    **{f"coursekit.training_explorer.xǁTrainingExplorerǁ__init____mutmut_{k}": "the divergence note's first text: "
       "draw sets it before a frame shows" for k in (252, 270)},
    "coursekit.training_explorer.xǁTrainingExplorerǁ__init____mutmut_277": _HEX,
    **{f"coursekit.training_explorer.xǁTrainingExplorerǁ__init____mutmut_{k}": "the fit legend's place left to "
       "matplotlib ('best'): the upper right covers data, the upper left none "
       "(test_the_fit_legend_covers_no_data), so it picks the upper left" for k in (303, 305)},
    **{f"coursekit.training_explorer.xǁTrainingExplorerǁ__init____mutmut_{k}": "the headline's first text: draw "
       "sets it before the layout is solved" for k in (311, 315)},
    "coursekit.training_explorer.xǁTrainingExplorerǁcompute__mutmut_78": "max(.., 2) for max(.., 1): twice 1 and "
                                                                          "twice 2 epochs both round up to 10",
    "coursekit.explorer.xǁExplorerǁset__mutmut_11": "_holding = None after a set: as falsy as False",
    "coursekit.momentum_explorer.xǁMomentumExplorerǁ__init____mutmut_22": "β's min left out: a FloatSlider's min "
                                                                           "is 0 by default",
    "coursekit.momentum_explorer.xǁMomentumExplorerǁ__init____mutmut_61": "the GD cache's first key '' for None: no "
                                                                          "(eta, steps) pair equals either",
    **{f"coursekit.momentum_explorer.xǁMomentumExplorerǁdraw__mutmut_{k}": "<= or >= at the prediction's cut: only a "
       "point exactly a decade past the frame tells them apart, and it is out of view" for k in (58, 62)},
    "coursekit.momentum_explorer.xǁMomentumExplorerǁdraw__mutmut_61": "the prediction kept 2 decades below the frame "
                                                                      "instead of 1: out of view either way, and the "
                                                                      "line between is straight on the log axis",
    **{f"coursekit.momentum_explorer.xǁMomentumExplorerǁdraw__mutmut_{k}": "the divergence note's text when the run "
       "did not diverge: the note is hidden then" for k in (129, 130)},
    **{f"coursekit.momentum_explorer.xǁMomentumExplorerǁ__init____mutmut_{k}": "a label of the path panel's line or "
       "start: that panel has no legend (its title names them), so no label is shown or read"
       for k in (110, 117, 124, 125, 129, 133, 136, 137)},
    **{f"{_MOMENTUM_INIT}{k}": "a label of a map panel's line or marker: that panel has no legend (its title and "
       "colour bar name them), so no label is shown or read"
       for k in (378, 383, 387, 388, 395, 402, 408, 409, 423, 430, 438, 439)},
    **{f"{_MOMENTUM_INIT}{k}": _EMPTY_LINE for k in (397, 398)},
    f"{_MOMENTUM_INIT}410": "the current point's zorder 6 for 5: above the map's other artists (3 at most) all the "
                            "same",
    **{f"{_MOMENTUM_INIT}{k}": "a text's colour left to matplotlib: rcParams['text.color'], black, the colour "
       "written" for k in (487, 495)},
    f"{_MOMENTUM_INIT}364": "'NEAREST': matplotlib lowercases an interpolation's name",
    **{f"{_MOMENTUM_INIT}{k}": _COLOURBAR for k in (366, 369)},
    **{f"{_MOMENTUM_INIT}{k}": _LINEWIDTH
       for k in (377, 382)},
    **{f"{_MOMENTUM_INIT}{k}": _EMPTY_LINE for k in (379, 380)},
    **{f"coursekit.momentum_explorer.xǁMomentumExplorerǁ__init____mutmut_{k}": _EMPTY_LINE for k in (111, 112)},
    **{f"coursekit.momentum_explorer.xǁMomentumExplorerǁ__init____mutmut_{k}": "plot(0, ...) draws the point (0, 0) "
       "too: x defaults to the index, 0" for k in (144, 145)},
    **{f"{_MOMENTUM_INIT}{k}": _FONTSIZE for k in (156, 169, 178, 256)},
    **{f"{_MOMENTUM_INIT}{k}": "the divergence note's first text: draw sets it before a frame shows"
       for k in (165, 183)},
    f"{_MOMENTUM_INIT}190": _HEX,
    **{f"{_MOMENTUM_INIT}{k}": _EMPTY_LINE for k in (203, 204, 217, 218, 234, 235)},
    f"{_MOMENTUM_INIT}286": "4 columns for a legend of 3 entries: one row all the same",
    **{f"{_MOMENTUM_INIT}{k}": "a limit of the map left to autoscale: the image's extent sets the same one"
       for k in (528, 529, 532, 533)},
    **{f"{_MOMENTUM_INIT}{k}": "the map's or the figure's first title: draw sets it before the layout is solved"
       for k in (541, 545, 548, 552)},
    f"{_MOMENTUM_INIT}542": _FONTSIZE,
    **{f"coursekit.momentum_explorer.xǁMomentumExplorerǁcompute__mutmut_{k}": "GD's losses among the shown ones when "
       "the method is GD: they are the run's own" for k in (48, 50, 51)},
    **{f"coursekit.explorer.x__drawn_box__mutmut_{k}": "an extent with no renderer: matplotlib takes the figure's "
       "renderer, the one passed" for k in (2, 13)},
    "coursekit.explorer.x__drawn_box__mutmut_8": "a slack of 1e-10 / span for 1e-10 × span: the spans are 1 to 1000 "
                                                 "(decades, epochs, steps), so both take in the ticks that rounding "
                                                 "puts 1e-15 outside and no other",
    **{f"coursekit.explorer.x__drawn_box__mutmut_{k}": "< for <= at the slack's end: no tick lies exactly there"
       for k in (16, 18)},
    **{f"coursekit.explorer.x_whole_number_ticks__mutmut_{k}": "the locator not told integer=True: the epoch and "
       "step axes span 10 or more, where steps of 1, 2, 5 and 10 give whole numbers anyway" for k in (3, 6, 10)},
    **{f"coursekit.explorer.xǁExplorerǁ_render__mutmut_{k}": "the pixel cache cleared at 256 or 258 entries instead "
       "of 257: memory only, as a missing entry is drawn again" for k in (26, 27)},
    "coursekit.explorer.xǁExplorerǁ_render__mutmut_31": "_drawn_box given no renderer: matplotlib takes the "
                                                        "figure's renderer, the one passed",
    **{f"coursekit.explorer.xǁExplorerǁ_start_strip__mutmut_{k}": "a new strip's generation - 1 or + 2: any number "
       "other than the last tells the strips apart as + 1 does" for k in (2, 3)},
    "coursekit.explorer.xǁExplorerǁ__init____mutmut_81": "the first strip's generation 1 for 0: strips are told "
                                                         "apart by equality, from any start",
    "coursekit.explorer.xǁExplorerǁ__init____mutmut_83": "fill_later=None for the first strip: as falsy as False",
    "coursekit.explorer.xǁExplorerǁ_keep__mutmut_14": "1 for 0 where a frame equals the backdrop: the pixel 1 is the "
                                                      "bytes (1, 0, 0, 0), alpha 0, as transparent as 0",
    "coursekit.graph_explorer.xǁGraphExplorerǁ__init____mutmut_68": "fill=None: as falsy as False",
    "coursekit.explorer.xǁExplorerǁstatic_figure__mutmut_3": "title=None: as falsy as False",
    "coursekit.conv_explorer.xǁConvExplorerǁdraw__mutmut_23": ">= 1.2 for > 1.2: no kernel weight is 1.2 in size "
                                                              "(they are 0, 1 and 2)",
}


def results():
    """{module: {mutant name: exit code}} from mutmut's .meta files."""
    found = {}
    for meta in sorted((ROOT / "mutants").glob("**/*.py.meta")):
        module = ".".join(meta.relative_to(ROOT / "mutants").with_suffix("").with_suffix("").parts)
        found[module] = json.loads(meta.read_text())["exit_code_by_key"]
    return found


def main():
    found = results()
    if not found:
        sys.exit("no mutmut results in mutants/: run make mutation")
    names = {name for codes in found.values() for name in codes}
    measured = [name for name in EQUIVALENT if any(name.startswith(f"{module}.x") for module in found)]
    stale = sorted(set(measured) - names)  # of the modules this run measured (make mutation measures them all)
    if stale:
        sys.exit(f"EQUIVALENT names mutants mutmut no longer makes: {stale}")
    width = max(len(module) for module in found)
    print(f"{'module':<{width}} {'mutants':>7} {'equivalent':>10} {'killed':>6} {'survived':>8} {'score':>6}")
    low, survivors = [], []
    for module, codes in found.items():
        counted = {name: code for name, code in codes.items() if name not in EQUIVALENT}
        tally = Counter("killed" if c in KILLED else "survived" if c in SURVIVED else "other" for c in counted.values())
        if tally["other"]:
            sys.exit(f"{module}: {tally['other']} mutants neither killed nor survived (not checked?): rerun")
        score = tally["killed"] / len(counted) if counted else 1.0
        print(f"{module:<{width}} {len(codes):>7} {len(codes) - len(counted):>10} {tally['killed']:>6} "
              f"{tally['survived']:>8} {score:>6.1%}")
        survivors += sorted(name for name, code in counted.items() if code in SURVIVED)
        if score < MINIMUM:
            low.append(module)
    if "--survivors" in sys.argv:
        print("\n".join(["survivors (mutmut show NAME):", *survivors]))
    if low:
        sys.exit(f"under {MINIMUM:.0%} of non-equivalent mutants killed: {', '.join(low)}")


if __name__ == "__main__":
    main()

# The suite's longest tests (seconds measured in the sanitizer build, the slower of the two) start
# first in a parallel run, so none is left running alone at its end. ctest uses these costs until
# it has measured times of its own (Testing/Temporary/CTestCostData.txt); a name that no longer
# exists is ignored. Included after the discovered tests are defined (tests/CMakeLists.txt).
foreach(entry
    FunctionalRun.SensorNoiseFollowsTheLightAndTheOpticsSharesIt=140
    Readme.QuickStartCommandsRunInOrderOnAFreshOutputDirectory=137
    FunctionalRun.ReportsMeasuredStatisticsAndAccuracyDeterministically=125
    CliBitTrue.ReportsEveryLayersOutputSqnr=124
    FunctionalRun.FaceEmbeddingsFollowTheQuantizationScheme=42
    FunctionalRun.CompareSetsSchemesSideBySideOnAgreementWithFloat=35
    CliSweep.RowsRunOnTheInputsAndTheInputsArePartOfThePlan=22
    CliCompare.OutKeepsTheTableAndEveryRun=20
    CliCompare.WeightProvenanceIsReportedAndMarked=15
    CliHelp.ConfigPathsResolveFromAnyDirectory=13
    CliSweep.KilledAndResumedSweepGivesTheSameTable=11
    ModelQuantizer.BertWithBlockSkim=10)
  string(REPLACE "=" ";" pair ${entry})
  list(GET pair 0 name)
  list(GET pair 1 cost)
  set_tests_properties(${name} PROPERTIES COST ${cost})
endforeach()
# The README's commands use build/ (the Release build): not a "cli" test, whatever its executable.
set_tests_properties(Readme.QuickStartCommandsRunInOrderOnAFreshOutputDirectory PROPERTIES
  LABELS release)

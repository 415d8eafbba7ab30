from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('contexts', '0006_corrections_and_withdrawals'),
    ]

    operations = [
        migrations.AlterField(
            model_name='contextcorrection',
            name='record',
            field=models.CharField(choices=[('referral', 'Referral'), ('assessment', 'Assessment'), ('intervention', 'Intervention'), ('review', 'Review')], max_length=16),
        ),
    ]
